import { render } from 'preact'
import { App } from './app/App'
import { browserLanguage, chooseLanguage, detect, storedLanguage } from './app/session'
import './app/style.css'

chooseLanguage(storedLanguage() ?? browserLanguage())
render(<App />, document.getElementById('app')!)
void detect()
