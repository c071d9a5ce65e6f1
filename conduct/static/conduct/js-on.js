// Scripts run: styles may fold what scripts unfold (the phone menu, menu.js).
document.documentElement.classList.add("js");
